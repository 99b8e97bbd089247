"""The structure functions of the classes of ``ops.sql`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, _NO=None, _new=None, s0=None, s1=None):
    if type(o) is tuple and len(o) == 2:
        (q0, v1), (q1, v0), = o
        fast = (q0, q1,) == _canon
    else:
        fast = False
    if fast:
        pass
    else:
        if type(o) is not dict:
            if type(o) is not tuple:
                raise _Bad(f'expected an object, got {type(o).__name__}')
            p = o
            o = _dict(p)
            if len(o) != len(p):
                raise _Bad('a key appears twice')
        if not o.keys() <= _known:
            raise _Bad(f'unknown keys {sorted(set(o) - _known)!r}')
        v0 = o['sqltext']
        v1 = o.get('reverse_sql', _NO)
    if type(v0) is not str:
        raise _Bad(f'ExecuteSQLOp.sqltext: unexpected {type(v0).__name__}')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) not in k1:
            raise _Bad(f'ExecuteSQLOp.reverse_sql: unexpected {type(v1).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    return made


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.sql.ExecuteSQLOp>': ('61254593cad824809fff9a24ea33c21d0139458fc5784eb4b9d6707793bed30e', _structure0),
}
