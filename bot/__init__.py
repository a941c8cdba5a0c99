"""gjz-bot: an assistant for the Beijing Work Residence Permit (北京市工作居住证)."""

__version__ = "0.1.0"
