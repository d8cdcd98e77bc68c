"""Excel workbooks: the data-entry layout, reading it, writing it, and the batch's 汇总.xlsx.

Every module here follows ``layout`` (the sheets and columns) and ``styles`` (how they look):
``cells``, ``grids`` and ``tables`` decode a file's cells, ``reader`` assembles projects from
them; ``placement`` puts projects into rows, ``writer`` and ``guide`` write the sheets, ``summary``
writes 汇总.xlsx, and ``save`` gives every written workbook deterministic bytes.
"""
