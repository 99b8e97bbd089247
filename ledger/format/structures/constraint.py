"""The structure functions of the classes of ``ops.constraint`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, d3=None, c3=None, ct3=None, _NO=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v1), (q1, v2), (q2, v0), = o
        fast = (q0, q1, q2,) == _canon
    else:
        fast = False
    if fast:
        v3 = _NO
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
        v1 = o['constraint']
        v2 = o.get('schema', _NO)
        v3 = o.get('repeated', _NO)
    if type(v0) is not str:
        raise _Bad(f'CreateCheckConstraintOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = h1(v1, t1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'CreateCheckConstraintOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) is not list:
            raise _Bad(f'CreateCheckConstraintOp.repeated: expected a list, got {type(v3).__name__}')
        v3 = tuple(map(c3, v3))
    return _cls(v0, v1, v2, repeated=v3)


def _structure1(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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
        v1 = o['constraint']
        v2 = o.get('schema', _NO)
    if type(v0) is not str:
        raise _Bad(f'CreateForeignKeyOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = h1(v1, t1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'CreateForeignKeyOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure2(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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
        v1 = o['constraint']
        v2 = o.get('schema', _NO)
    if type(v0) is not str:
        raise _Bad(f'CreatePrimaryKeyOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = h1(v1, t1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'CreatePrimaryKeyOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure3(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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
        v1 = o['constraint']
        v2 = o.get('schema', _NO)
    if type(v0) is not str:
        raise _Bad(f'CreateUniqueConstraintOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = h1(v1, t1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'CreateUniqueConstraintOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure4(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, d3=None, k3=None, d4=None, k4=None, c4=None, ct4=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None):
    if type(o) is tuple and len(o) == 5:
        (q0, v4), (q1, v0), (q2, v3), (q3, v1), (q4, v2), = o
        fast = (q0, q1, q2, q3, q4,) == _canon
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
        v0 = o['constraint_name']
        v1 = o['table_name']
        v2 = o.get('type_', _NO)
        v3 = o.get('schema', _NO)
        v4 = o.get('_reverse', _NO)
    if type(v0) is not str:
        raise _Bad(f'DropConstraintOp.constraint_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('constraint_name is longer than 1024 bytes')
    if type(v1) is not str:
        raise _Bad(f'DropConstraintOp.table_name: unexpected {type(v1).__name__}')
    if len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'DropConstraintOp.type_: unexpected {type(v2).__name__}')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            raise _Bad(f'DropConstraintOp.schema: unexpected {type(v3).__name__}')
        elif type(v3) is str and len(v3) > _S and len(v3.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) not in k4:
            if type(v4) is not dict and type(v4) is not tuple:
                raise _Bad(f'DropConstraintOp._reverse: unexpected {type(v4).__name__}')
            v4 = c4(v4, ct4)
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    s4(made, v4)
    return made


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.constraint.CreateCheckConstraintOp>': ('411507229d873d3bcded1bbb57b19678acb090601a251f925a0cf6002be875a2', _structure0),
    '<structure ops.constraint.CreateForeignKeyOp>': ('7362802e1bbe31fcf1337cfe49e1f2950e555035c38c9642d576c266ed4166d5', _structure1),
    '<structure ops.constraint.CreatePrimaryKeyOp>': ('190ab78f6f41776c408947f0e8a4ee46b61eed2996c81e4f75be5416f83f0e91', _structure2),
    '<structure ops.constraint.CreateUniqueConstraintOp>': ('990bbe0ea4c7dbe964e51cd3442095d03bbcda333fc39b880d86e07cb3c42697', _structure3),
    '<structure ops.constraint.DropConstraintOp>': ('8586419e82f317d5b157c5d0d645166e54d078c702e00582ba42be02380cc4d4', _structure4),
}
