"""The staff batch check: HR's staff list (CSV or XLSX) in, one assessment per row out.

``table`` reads and writes the file in memory, ``columns`` maps headers to profile fields,
``check`` reads each row like the chat reads a typed answer and assesses it, ``report``
writes the result file and the template. ``gjz batch`` (``cli``) and the Telegram document
handler are thin shells over ``check_table`` and ``result_file``.
"""
