"""Reminders that fire (renewal window, last day to submit, the day one qualifies) and the
notices a published knowledge change sends to those whose verdict it changes.

schedule.py is pure (which day and hour, in Asia/Shanghai working hours); send.py sends what
is due through any store; notify.py re-assesses stored verdicts; cli.py is ``gjz reminders``
and ``gjz notify``."""
