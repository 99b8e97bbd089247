"""The structure functions of the classes of ``ops.specs`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, d3=None, k3=None, c3=None, ct3=None, d4=None, k4=None, d5=None, k5=None, d6=None, k6=None, c6=None, ct6=None, d7=None, k7=None, c7=None, ct7=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None):
    if type(o) is tuple and len(o) == 8:
        (q0, v5), (q1, v4), (q2, v7), (q3, v6), (q4, v0), (q5, v2), (q6, v3), (q7, v1), = o
        fast = (q0, q1, q2, q3, q4, q5, q6, q7,) == _canon
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
        v0 = o['name']
        v1 = o['type']
        v2 = o.get('nullable', _NO)
        v3 = o.get('server_default', _NO)
        v4 = o.get('comment', _NO)
        v5 = o.get('autoincrement', _NO)
        v6 = o.get('identity', _NO)
        v7 = o.get('computed', _NO)
    if type(v0) is not str:
        raise _Bad(f'ColumnSpec.name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    v1 = _typespec_in(v1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) is not bool:
            raise _Bad(f'ColumnSpec.nullable: unexpected {type(v2).__name__}')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            if type(v3) is not dict and type(v3) is not tuple:
                raise _Bad(f'ColumnSpec.server_default: unexpected {type(v3).__name__}')
            v3 = c3(v3, ct3)
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) not in k4:
            raise _Bad(f'ColumnSpec.comment: unexpected {type(v4).__name__}')
    if v5 is _NO:
        v5 = d5
    else:
        if type(v5) not in k5:
            raise _Bad(f'ColumnSpec.autoincrement: unexpected {type(v5).__name__}')
    if v6 is _NO:
        v6 = d6
    else:
        if type(v6) not in k6:
            if type(v6) is not dict and type(v6) is not tuple:
                raise _Bad(f'ColumnSpec.identity: unexpected {type(v6).__name__}')
            v6 = c6(v6, ct6)
    if v7 is _NO:
        v7 = d7
    else:
        if type(v7) not in k7:
            if type(v7) is not dict and type(v7) is not tuple:
                raise _Bad(f'ColumnSpec.computed: unexpected {type(v7).__name__}')
            v7 = c7(v7, ct7)
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    s4(made, v4)
    s5(made, v5)
    s6(made, v6)
    s7(made, v7)
    return made


def _structure1(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, _NO=None, _new=None, s0=None, s1=None):
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
        v1 = o.get('persisted', _NO)
    if type(v0) is not str:
        raise _Bad(f'ComputedSpec.sqltext: unexpected {type(v0).__name__}')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) not in k1:
            raise _Bad(f'ComputedSpec.persisted: unexpected {type(v1).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    return made


def _structure2(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, _NO=None, _new=None, s0=None, s1=None):
    if type(o) is tuple and len(o) == 2:
        (q0, v0), (q1, v1), = o
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
        v0 = o['kind']
        v1 = o['value']
    if type(v0) is not str:
        raise _Bad(f'DefaultSpec.kind: unexpected {type(v0).__name__}')
    if type(v1) is not str:
        raise _Bad(f'DefaultSpec.value: unexpected {type(v1).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    return made


def _structure3(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d0=None, d1=None, k1=None, d2=None, k2=None, d3=None, k3=None, d4=None, k4=None, d5=None, k5=None, d6=None, k6=None, d7=None, k7=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None):
    if type(o) is tuple and len(o) == 8:
        (q0, v0), (q1, v7), (q2, v6), (q3, v3), (q4, v5), (q5, v4), (q6, v1), (q7, v2), = o
        fast = (q0, q1, q2, q3, q4, q5, q6, q7,) == _canon
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
        v0 = o.get('always', _NO)
        v1 = o.get('on_null', _NO)
        v2 = o.get('start', _NO)
        v3 = o.get('increment', _NO)
        v4 = o.get('minvalue', _NO)
        v5 = o.get('maxvalue', _NO)
        v6 = o.get('cycle', _NO)
        v7 = o.get('cache', _NO)
    if v0 is _NO:
        v0 = d0
    else:
        if type(v0) is not bool:
            raise _Bad(f'IdentitySpec.always: unexpected {type(v0).__name__}')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) not in k1:
            raise _Bad(f'IdentitySpec.on_null: unexpected {type(v1).__name__}')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'IdentitySpec.start: unexpected {type(v2).__name__}')
        elif type(v2) is int and not _LO <= v2 < _HI:
            raise _Bad('start is an integer beyond 64 bits')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            raise _Bad(f'IdentitySpec.increment: unexpected {type(v3).__name__}')
        elif type(v3) is int and not _LO <= v3 < _HI:
            raise _Bad('increment is an integer beyond 64 bits')
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) not in k4:
            raise _Bad(f'IdentitySpec.minvalue: unexpected {type(v4).__name__}')
        elif type(v4) is int and not _LO <= v4 < _HI:
            raise _Bad('minvalue is an integer beyond 64 bits')
    if v5 is _NO:
        v5 = d5
    else:
        if type(v5) not in k5:
            raise _Bad(f'IdentitySpec.maxvalue: unexpected {type(v5).__name__}')
        elif type(v5) is int and not _LO <= v5 < _HI:
            raise _Bad('maxvalue is an integer beyond 64 bits')
    if v6 is _NO:
        v6 = d6
    else:
        if type(v6) not in k6:
            raise _Bad(f'IdentitySpec.cycle: unexpected {type(v6).__name__}')
    if v7 is _NO:
        v7 = d7
    else:
        if type(v7) not in k7:
            raise _Bad(f'IdentitySpec.cache: unexpected {type(v7).__name__}')
        elif type(v7) is int and not _LO <= v7 < _HI:
            raise _Bad('cache is an integer beyond 64 bits')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    s4(made, v4)
    s5(made, v5)
    s6(made, v6)
    s7(made, v7)
    return made


def _structure4(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, c1=None, ct1=None, d2=None, k2=None, d3=None, k3=None, c3=None, ct3=None, d4=None, c4=None, ct4=None, d5=None, c5=None, ct5=None, d6=None, c6=None, ct6=None, d7=None, c7=None, ct7=None, d8=None, k8=None, d9=None, _pairs_in=None, _NO=None):
    if type(o) is tuple and len(o) == 9:
        (q0, v6), (q1, v1), (q2, v8), (q3, v4), (q4, v7), (q5, v0), (q6, v3), (q7, v2), (q8, v5), = o
        fast = (q0, q1, q2, q3, q4, q5, q6, q7, q8,) == _canon
    else:
        fast = False
    if fast:
        v9 = _NO
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
        v0 = o['name']
        v1 = o['columns']
        v2 = o.get('schema', _NO)
        v3 = o.get('primary_key', _NO)
        v4 = o.get('foreign_keys', _NO)
        v5 = o.get('uniques', _NO)
        v6 = o.get('checks', _NO)
        v7 = o.get('indexes', _NO)
        v8 = o.get('comment', _NO)
        v9 = o.get('dialect_options', _NO)
    if type(v0) is not str:
        raise _Bad(f'TableSpec.name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    if type(v1) is not list:
        raise _Bad(f'TableSpec.columns: expected a list, got {type(v1).__name__}')
    v1 = tuple(map(c1, v1))
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'TableSpec.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            if type(v3) is not dict and type(v3) is not tuple:
                raise _Bad(f'TableSpec.primary_key: unexpected {type(v3).__name__}')
            v3 = c3(v3, ct3)
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) is not list:
            raise _Bad(f'TableSpec.foreign_keys: expected a list, got {type(v4).__name__}')
        v4 = tuple(map(c4, v4))
    if v5 is _NO:
        v5 = d5
    else:
        if type(v5) is not list:
            raise _Bad(f'TableSpec.uniques: expected a list, got {type(v5).__name__}')
        v5 = tuple(map(c5, v5))
    if v6 is _NO:
        v6 = d6
    else:
        if type(v6) is not list:
            raise _Bad(f'TableSpec.checks: expected a list, got {type(v6).__name__}')
        v6 = tuple(map(c6, v6))
    if v7 is _NO:
        v7 = d7
    else:
        if type(v7) is not list:
            raise _Bad(f'TableSpec.indexes: expected a list, got {type(v7).__name__}')
        v7 = tuple(map(c7, v7))
    if v8 is _NO:
        v8 = d8
    else:
        if type(v8) not in k8:
            raise _Bad(f'TableSpec.comment: unexpected {type(v8).__name__}')
    if v9 is _NO:
        v9 = d9
    else:
        v9 = () if v9 == () else _pairs_in(v9)
    return _cls(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9)


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.specs.ColumnSpec>': ('1c7e35397646e9881c55ee54fd9581af408f75c2d638c257092af33db3c5429a', _structure0),
    '<structure ops.specs.ComputedSpec>': ('2a77c258a2eedab32dfd4f1835250c7c34f382b6e8e8b95d9dff1d200685fa39', _structure1),
    '<structure ops.specs.DefaultSpec>': ('3a517fbfcda376826b294b38511752847709c64183786404e8e72298f7da1047', _structure2),
    '<structure ops.specs.IdentitySpec>': ('374b6f72f8ece57968ba5adeb1375d9aa249cad2de2c68605d3d5bb58646dee1', _structure3),
    '<structure ops.specs.TableSpec>': ('15c4b809f3467eb3b4c443a7dbd886dcb6431fdbf43950cee85eed11bc78d147', _structure4),
}
