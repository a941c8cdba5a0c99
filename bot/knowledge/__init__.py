"""The knowledge base: typed models of knowledge/*.yaml, their loader and checks."""

from .loader import Knowledge, default_knowledge_dir, get_knowledge, load_knowledge
from .yamlfile import KnowledgeError, Problem

__all__ = ["Knowledge", "KnowledgeError", "Problem", "default_knowledge_dir", "get_knowledge", "load_knowledge"]
