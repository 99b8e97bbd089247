"""The structure functions of the classes of ``ops.index`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v1), (q1, v2), (q2, v0), = o
        fast = (q0, q1, q2,) == _canon
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
        v0 = o['table_name']
        v1 = o['index']
        v2 = o.get('schema', _NO)
    if type(v0) is not str:
        raise _Bad(f'CreateIndexOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = h1(v1, t1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'CreateIndexOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure1(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, d2=None, k2=None, d3=None, k3=None, c3=None, ct3=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
    if type(o) is tuple and len(o) == 4:
        (q0, v3), (q1, v0), (q2, v2), (q3, v1), = o
        fast = (q0, q1, q2, q3,) == _canon
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
        v0 = o['index_name']
        v1 = o.get('table_name', _NO)
        v2 = o.get('schema', _NO)
        v3 = o.get('_reverse', _NO)
    if type(v0) is not str:
        raise _Bad(f'DropIndexOp.index_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('index_name is longer than 1024 bytes')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) not in k1:
            raise _Bad(f'DropIndexOp.table_name: unexpected {type(v1).__name__}')
        elif type(v1) is str and len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('table_name is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'DropIndexOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            if type(v3) is not dict and type(v3) is not tuple:
                raise _Bad(f'DropIndexOp._reverse: unexpected {type(v3).__name__}')
            v3 = c3(v3, ct3)
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    return made


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.index.CreateIndexOp>': ('5e4f5510aa16e26628a2d959b1a266391c9db4fe2ee1148f0333ba09e7b883fc', _structure0),
    '<structure ops.index.DropIndexOp>': ('651f26861f6b25b37284567846bce28ad2c69ff8dfd2e2608e01bc8bef63c28d', _structure1),
}
