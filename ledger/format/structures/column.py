"""The structure functions of the classes of ``ops.column`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, d3=None, k3=None, d4=None, h4=None, t4=None, _NO=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v1), (q1, v2), (q2, v0), = o
        fast = (q0, q1, q2,) == _canon
    else:
        fast = False
    if fast:
        v3 = _NO
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
        v0 = o['table_name']
        v1 = o['column']
        v2 = o.get('schema', _NO)
        v3 = o.get('insert_before', _NO)
        v4 = o.get('_then', _NO)
    if type(v0) is not str:
        raise _Bad(f'AddColumnOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = h1(v1, t1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'AddColumnOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            raise _Bad(f'AddColumnOp.insert_before: unexpected {type(v3).__name__}')
    if v4 is _NO:
        v4 = d4
    else:
        v4 = h4(v4, t4)
    return _cls(v0, v1, v2, insert_before=v3, _then=v4)


def _structure1(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, d3=None, k3=None, d4=None, k4=None, c4=None, ct4=None, d5=None, k5=None, d6=None, k6=None, d7=None, k7=None, d8=None, k8=None, d9=None, k9=None, c9=None, ct9=None, d10=None, k10=None, d11=None, k11=None, d12=None, k12=None, d13=None, k13=None, d14=None, k14=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None, s8=None, s9=None, s10=None, s11=None, s12=None, s13=None, s14=None):
    if type(o) is tuple and len(o) == 12:
        (q0, v1), (q1, v6), (q2, v5), (q3, v4), (q4, v3), (q5, v8), (q6, v10), (q7, v7), (q8, v9), (q9, v11), (q10, v2), (q11, v0), = o
        fast = (q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11,) == _canon
    else:
        fast = False
    if fast:
        v12 = _NO
        v13 = _NO
        v14 = _NO
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
        v1 = o['column_name']
        v2 = o.get('schema', _NO)
        v3 = o.get('existing_type', _NO)
        v4 = o.get('existing_server_default', _NO)
        v5 = o.get('existing_nullable', _NO)
        v6 = o.get('existing_comment', _NO)
        v7 = o.get('modify_nullable', _NO)
        v8 = o.get('modify_comment', _NO)
        v9 = o.get('modify_server_default', _NO)
        v10 = o.get('modify_name', _NO)
        v11 = o.get('modify_type', _NO)
        v12 = o.get('postgresql_using', _NO)
        v13 = o.get('modify_autoincrement', _NO)
        v14 = o.get('existing_autoincrement', _NO)
    if type(v0) is not str:
        raise _Bad(f'AlterColumnOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    if type(v1) is not str:
        raise _Bad(f'AlterColumnOp.column_name: unexpected {type(v1).__name__}')
    if len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('column_name is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'AlterColumnOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            if type(v3) is not dict and type(v3) is not tuple:
                raise _Bad(f'AlterColumnOp.existing_type: unexpected {type(v3).__name__}')
            v3 = _typespec_in(v3)
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) not in k4:
            if type(v4) is not dict and type(v4) is not tuple:
                raise _Bad(f'AlterColumnOp.existing_server_default: unexpected {type(v4).__name__}')
            v4 = c4(v4, ct4)
    if v5 is _NO:
        v5 = d5
    else:
        if type(v5) not in k5:
            raise _Bad(f'AlterColumnOp.existing_nullable: unexpected {type(v5).__name__}')
    if v6 is _NO:
        v6 = d6
    else:
        if type(v6) not in k6:
            raise _Bad(f'AlterColumnOp.existing_comment: unexpected {type(v6).__name__}')
    if v7 is _NO:
        v7 = d7
    else:
        if type(v7) not in k7:
            raise _Bad(f'AlterColumnOp.modify_nullable: unexpected {type(v7).__name__}')
    if v8 is _NO:
        v8 = d8
    else:
        if type(v8) not in k8:
            raise _Bad(f'AlterColumnOp.modify_comment: unexpected {type(v8).__name__}')
    if v9 is _NO:
        v9 = d9
    else:
        if type(v9) not in k9:
            if type(v9) is not dict and type(v9) is not tuple:
                raise _Bad(f'AlterColumnOp.modify_server_default: unexpected {type(v9).__name__}')
            v9 = c9(v9, ct9)
    if v10 is _NO:
        v10 = d10
    else:
        if type(v10) not in k10:
            raise _Bad(f'AlterColumnOp.modify_name: unexpected {type(v10).__name__}')
        elif type(v10) is str and len(v10) > _S and len(v10.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('modify_name is longer than 1024 bytes')
    if v11 is _NO:
        v11 = d11
    else:
        if type(v11) not in k11:
            if type(v11) is not dict and type(v11) is not tuple:
                raise _Bad(f'AlterColumnOp.modify_type: unexpected {type(v11).__name__}')
            v11 = _typespec_in(v11)
    if v12 is _NO:
        v12 = d12
    else:
        if type(v12) not in k12:
            raise _Bad(f'AlterColumnOp.postgresql_using: unexpected {type(v12).__name__}')
    if v13 is _NO:
        v13 = d13
    else:
        if type(v13) not in k13:
            raise _Bad(f'AlterColumnOp.modify_autoincrement: unexpected {type(v13).__name__}')
    if v14 is _NO:
        v14 = d14
    else:
        if type(v14) not in k14:
            raise _Bad(f'AlterColumnOp.existing_autoincrement: unexpected {type(v14).__name__}')
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
    s11(made, v11)
    s12(made, v12)
    s13(made, v13)
    s14(made, v14)
    return made


def _structure2(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, d3=None, k3=None, c3=None, ct3=None, d4=None, k4=None, d5=None, h5=None, t5=None, _NO=None):
    if type(o) is tuple and len(o) == 4:
        (q0, v3), (q1, v1), (q2, v2), (q3, v0), = o
        fast = (q0, q1, q2, q3,) == _canon
    else:
        fast = False
    if fast:
        v4 = _NO
        v5 = _NO
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
        v1 = o['column_name']
        v2 = o.get('schema', _NO)
        v3 = o.get('_reverse', _NO)
        v4 = o.get('_before', _NO)
        v5 = o.get('_dependents', _NO)
    if type(v0) is not str:
        raise _Bad(f'DropColumnOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    if type(v1) is not str:
        raise _Bad(f'DropColumnOp.column_name: unexpected {type(v1).__name__}')
    if len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('column_name is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'DropColumnOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            if type(v3) is not dict and type(v3) is not tuple:
                raise _Bad(f'DropColumnOp._reverse: unexpected {type(v3).__name__}')
            v3 = c3(v3, ct3)
    if v4 is _NO:
        v4 = d4
    else:
        if type(v4) not in k4:
            raise _Bad(f'DropColumnOp._before: unexpected {type(v4).__name__}')
    if v5 is _NO:
        v5 = d5
    else:
        v5 = h5(v5, t5)
    return _cls(v0, v1, v2, v3, v4, v5)


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.column.AddColumnOp>': ('989921de4d4770bcd36e296eb7fa69d312027bc72e3b2302947cf93087be113f', _structure0),
    '<structure ops.column.AlterColumnOp>': ('4dddfdf5e4d714287b9a831f00391f11491257b13f33644426a799fe02bea36e', _structure1),
    '<structure ops.column.DropColumnOp>': ('a196ae4265648e07820880d2f40978763b52d1eb12495a81af70b87b1c885a23', _structure2),
}
