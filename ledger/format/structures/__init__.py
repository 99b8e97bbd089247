"""The structure functions of the vocabulary's op and spec classes, written out one module per
module of ``ops`` (``ledger.format.structuring.structurecode_texts``): loaded with their bytecode
instead of compiled at each start."""
