"""The structure functions of the classes of ``ops.keyspecs`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
    if type(o) is tuple and len(o) == 2:
        (q0, v0), (q1, v1), = o
        fast = (q0, q1,) == _canon
    else:
        fast = False
    if fast:
        v2 = _NO
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
        v1 = o['sqltext']
        v2 = o.get('unnamed', _NO)
    if type(v0) not in k0:
        raise _Bad(f'CheckSpec.name: unexpected {type(v0).__name__}')
    elif type(v0) is str and len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    if type(v1) is not str:
        raise _Bad(f'CheckSpec.sqltext: unexpected {type(v1).__name__}')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) is not bool:
            raise _Bad(f'CheckSpec.unnamed: unexpected {type(v2).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure1(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d4=None, k4=None, d5=None, k5=None, d6=None, k6=None, d7=None, k7=None, d8=None, k8=None, d9=None, k9=None, d10=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None, s8=None, s9=None, s10=None):
    if type(o) is tuple and len(o) == 10:
        (q0, v1), (q1, v7), (q2, v8), (q3, v9), (q4, v0), (q5, v5), (q6, v6), (q7, v3), (q8, v4), (q9, v2), = o
        fast = (q0, q1, q2, q3, q4, q5, q6, q7, q8, q9,) == _canon
    else:
        fast = False
    if fast:
        v10 = _NO
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
        v2 = o['referent_table']
        v3 = o['referent_columns']
        v4 = o.get('referent_schema', _NO)
        v5 = o.get('ondelete', _NO)
        v6 = o.get('onupdate', _NO)
        v7 = o.get('deferrable', _NO)
        v8 = o.get('initially', _NO)
        v9 = o.get('match', _NO)
        v10 = o.get('unnamed', _NO)
    if type(v0) not in k0:
        raise _Bad(f'ForeignKeySpec.name: unexpected {type(v0).__name__}')
    elif type(v0) is str and len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    if type(v1) is not list:
        raise _Bad(f'ForeignKeySpec.columns: expected a list, got {type(v1).__name__}')
    if any(type(x) is not str for x in v1):
        raise _Bad('ForeignKeySpec.columns: expected str items')
    if v1 and max(map(len, v1)) > _S \
            and any(len(x.encode('utf-8', 'surrogatepass')) > _MAX for x in v1):
        raise _Bad('a name in columns is longer than 1024 bytes')
    v1 = tuple(v1)
    if type(v2) is not str:
        raise _Bad(f'ForeignKeySpec.referent_table: unexpected {type(v2).__name__}')
    if len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('referent_table is longer than 1024 bytes')
    if type(v3) is not list:
        raise _Bad(f'ForeignKeySpec.referent_columns: expected a list, got {type(v3).__name__}')
    if any(type(x) is not str for x in v3):
        raise _Bad('ForeignKeySpec.referent_columns: expected str items')
    if v3 and max(map(len, v3)) > _S \
            and any(len(x.encode('utf-8', 'surrogatepass')) > _MAX for x in v3):
        raise _Bad('a name in referent_columns is longer than 1024 bytes')
    v3 = tuple(v3)
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) not in k4:
            raise _Bad(f'ForeignKeySpec.referent_schema: unexpected {type(v4).__name__}')
        elif type(v4) is str and len(v4) > _S and len(v4.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('referent_schema is longer than 1024 bytes')
    if v5 is _NO:
        v5 = d5
    else:
        if type(v5) not in k5:
            raise _Bad(f'ForeignKeySpec.ondelete: unexpected {type(v5).__name__}')
    if v6 is _NO:
        v6 = d6
    else:
        if type(v6) not in k6:
            raise _Bad(f'ForeignKeySpec.onupdate: unexpected {type(v6).__name__}')
    if v7 is _NO:
        v7 = d7
    else:
        if type(v7) not in k7:
            raise _Bad(f'ForeignKeySpec.deferrable: unexpected {type(v7).__name__}')
    if v8 is _NO:
        v8 = d8
    else:
        if type(v8) not in k8:
            raise _Bad(f'ForeignKeySpec.initially: unexpected {type(v8).__name__}')
    if v9 is _NO:
        v9 = d9
    else:
        if type(v9) not in k9:
            raise _Bad(f'ForeignKeySpec.match: unexpected {type(v9).__name__}')
    if v10 is _NO:
        v10 = d10
    else:
        if type(v10) is not bool:
            raise _Bad(f'ForeignKeySpec.unnamed: unexpected {type(v10).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    s4(made, v4)
    s5(made, v5)
    s6(made, v6)
    s7(made, v7)
    s8(made, v8)
    s9(made, v9)
    s10(made, v10)
    return made


def _structure2(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, _NO=None, _new=None, s0=None, s1=None):
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
        v0 = o['value']
        v1 = o.get('expression', _NO)
    if type(v0) is not str:
        raise _Bad(f'IndexElement.value: unexpected {type(v0).__name__}')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) is not bool:
            raise _Bad(f'IndexElement.expression: unexpected {type(v1).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    return made


def _structure3(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, c1=None, ct1=None, d2=None, d3=None, _pairs_in=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
    if type(o) is tuple and len(o) == 4:
        (q0, v3), (q1, v1), (q2, v0), (q3, v2), = o
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
        v0 = o['name']
        v1 = o['elements']
        v2 = o.get('unique', _NO)
        v3 = o.get('dialect_options', _NO)
    if type(v0) not in k0:
        raise _Bad(f'IndexSpec.name: unexpected {type(v0).__name__}')
    elif type(v0) is str and len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    if type(v1) is not list:
        raise _Bad(f'IndexSpec.elements: expected a list, got {type(v1).__name__}')
    v1 = tuple(map(c1, v1))
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) is not bool:
            raise _Bad(f'IndexSpec.unique: unexpected {type(v2).__name__}')
    if v3 is _NO:
        v3 = d3
    else:
        v3 = () if v3 == () else _pairs_in(v3)
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    return made


def _structure4(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d2=None, d3=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
    if type(o) is tuple and len(o) == 2:
        (q0, v1), (q1, v0), = o
        fast = (q0, q1,) == _canon
    else:
        fast = False
    if fast:
        v2 = _NO
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
        v0 = o['name']
        v1 = o['columns']
        v2 = o.get('unnamed', _NO)
        v3 = o.get('autoincrement', _NO)
    if type(v0) not in k0:
        raise _Bad(f'PrimaryKeySpec.name: unexpected {type(v0).__name__}')
    elif type(v0) is str and len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    if type(v1) is not list:
        raise _Bad(f'PrimaryKeySpec.columns: expected a list, got {type(v1).__name__}')
    if any(type(x) is not str for x in v1):
        raise _Bad('PrimaryKeySpec.columns: expected str items')
    if v1 and max(map(len, v1)) > _S \
            and any(len(x.encode('utf-8', 'surrogatepass')) > _MAX for x in v1):
        raise _Bad('a name in columns is longer than 1024 bytes')
    v1 = tuple(v1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) is not bool:
            raise _Bad(f'PrimaryKeySpec.unnamed: unexpected {type(v2).__name__}')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) is not bool:
            raise _Bad(f'PrimaryKeySpec.autoincrement: unexpected {type(v3).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    return made


def _structure5(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d2=None, k2=None, d3=None, k3=None, d4=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None):
    if type(o) is tuple and len(o) == 4:
        (q0, v1), (q1, v2), (q2, v3), (q3, v0), = o
        fast = (q0, q1, q2, q3,) == _canon
    else:
        fast = False
    if fast:
        v4 = _NO
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
        v2 = o.get('deferrable', _NO)
        v3 = o.get('initially', _NO)
        v4 = o.get('unnamed', _NO)
    if type(v0) not in k0:
        raise _Bad(f'UniqueSpec.name: unexpected {type(v0).__name__}')
    elif type(v0) is str and len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('name is longer than 1024 bytes')
    if type(v1) is not list:
        raise _Bad(f'UniqueSpec.columns: expected a list, got {type(v1).__name__}')
    if any(type(x) is not str for x in v1):
        raise _Bad('UniqueSpec.columns: expected str items')
    if v1 and max(map(len, v1)) > _S \
            and any(len(x.encode('utf-8', 'surrogatepass')) > _MAX for x in v1):
        raise _Bad('a name in columns is longer than 1024 bytes')
    v1 = tuple(v1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'UniqueSpec.deferrable: unexpected {type(v2).__name__}')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            raise _Bad(f'UniqueSpec.initially: unexpected {type(v3).__name__}')
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) is not bool:
            raise _Bad(f'UniqueSpec.unnamed: unexpected {type(v4).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    s4(made, v4)
    return made


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.keyspecs.CheckSpec>': ('26ff8d692d37b9a7b7f762ec4b861e49df3f0fefe19c53461b653a5b695b0b96', _structure0),
    '<structure ops.keyspecs.ForeignKeySpec>': ('4eaf46356ad3d9ca7f9984c084abc2515aaa7be63bf19f05465c17fbd786a236', _structure1),
    '<structure ops.keyspecs.IndexElement>': ('41dd7a4a7c5afde67940b55fbaa15ecf77bfcd877ab2c6695c608fe2a0bb3d31', _structure2),
    '<structure ops.keyspecs.IndexSpec>': ('a2104a8273e65b0e732f33c6744c18cf517b5fa64323123db96d85c1470e54c7', _structure3),
    '<structure ops.keyspecs.PrimaryKeySpec>': ('b718ece5688c9a2be743c022f25b0208363a903c23922589e9b44de48b4675c4', _structure4),
    '<structure ops.keyspecs.UniqueSpec>': ('59d040413b9426c2aaa97a430751d67f7daf20715e5d59c37967e77d33b3cc9b', _structure5),
}
