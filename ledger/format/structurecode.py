"""The structure functions of the vocabulary's op and spec classes (``ledger.format.payload``),
written out (``ledger.format.structuring.structurecode_text``): loaded with this module's bytecode
instead of compiled at each start. Each function's names are its keyword-only parameters, bound
when it is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_text; tests/test_codec.py checks it is
# what that writes.


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


def _structure3(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, d3=None, c3=None, ct3=None, _NO=None):
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


def _structure4(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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


def _structure5(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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


def _structure6(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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


def _structure7(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, d3=None, k3=None, d4=None, k4=None, c4=None, ct4=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None):
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


def _structure8(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h1=None, t1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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


def _structure9(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, d2=None, k2=None, d3=None, k3=None, c3=None, ct3=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
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


def _structure10(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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


def _structure11(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d4=None, k4=None, d5=None, k5=None, d6=None, k6=None, d7=None, k7=None, d8=None, k8=None, d9=None, k9=None, d10=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None, s8=None, s9=None, s10=None):
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


def _structure12(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, _NO=None, _new=None, s0=None, s1=None):
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


def _structure13(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, c1=None, ct1=None, d2=None, d3=None, _pairs_in=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
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


def _structure14(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d2=None, d3=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
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


def _structure15(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, k0=None, d2=None, k2=None, d3=None, k3=None, d4=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None):
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


def _structure16(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, d3=None, k3=None, c3=None, ct3=None, d4=None, k4=None, d5=None, k5=None, d6=None, k6=None, c6=None, ct6=None, d7=None, k7=None, c7=None, ct7=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None):
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


def _structure17(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, _NO=None, _new=None, s0=None, s1=None):
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


def _structure18(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, _NO=None, _new=None, s0=None, s1=None):
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


def _structure19(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d0=None, d1=None, k1=None, d2=None, k2=None, d3=None, k3=None, d4=None, k4=None, d5=None, k5=None, d6=None, k6=None, d7=None, k7=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None, s4=None, s5=None, s6=None, s7=None):
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


def _structure20(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, c1=None, ct1=None, d2=None, k2=None, d3=None, k3=None, c3=None, ct3=None, d4=None, c4=None, ct4=None, d5=None, c5=None, ct5=None, d6=None, c6=None, ct6=None, d7=None, c7=None, ct7=None, d8=None, k8=None, d9=None, _pairs_in=None, _NO=None):
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


def _structure21(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, _NO=None, _new=None, s0=None, s1=None):
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


def _structure22(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, _pairs_in=None, d2=None, k2=None, d3=None, k3=None, _NO=None):
    if type(o) is tuple and len(o) == 4:
        (q0, v3), (q1, v1), (q2, v2), (q3, v0), = o
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
        v0 = o['table_name']
        v1 = o['options']
        v2 = o.get('schema', _NO)
        v3 = o.get('existing_options', _NO)
    if type(v0) is not str:
        raise _Bad(f'AlterTableOptionsOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    v1 = () if v1 == () else _pairs_in(v1)
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'AlterTableOptionsOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            if type(v3) is not dict and type(v3) is not tuple:
                raise _Bad(f'AlterTableOptionsOp.existing_options: unexpected {type(v3).__name__}')
            v3 = () if v3 == () else _pairs_in(v3)
    return _cls(v0, v1, v2, v3)


def _structure23(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, d3=None, k3=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
    if type(o) is tuple and len(o) == 4:
        (q0, v1), (q1, v3), (q2, v2), (q3, v0), = o
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
        v0 = o['table_name']
        v1 = o['comment']
        v2 = o.get('schema', _NO)
        v3 = o.get('existing_comment', _NO)
    if type(v0) is not str:
        raise _Bad(f'CreateTableCommentOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    if type(v1) is not str:
        raise _Bad(f'CreateTableCommentOp.comment: unexpected {type(v1).__name__}')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'CreateTableCommentOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v3 is _NO:
        v3 = d3
    else:
        if type(v3) not in k3:
            raise _Bad(f'CreateTableCommentOp.existing_comment: unexpected {type(v3).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    s3(made, v3)
    return made


def _structure24(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h0=None, t0=None, _NO=None, _new=None, s0=None):
    if type(o) is tuple and len(o) == 1:
        (q0, v0), = o
        fast = (q0,) == _canon
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
        v0 = o['table']
    v0 = h0(v0, t0)
    made = _new(_cls)
    s0(made, v0)
    return made


def _structure25(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v2), (q1, v1), (q2, v0), = o
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
        v1 = o.get('schema', _NO)
        v2 = o.get('existing_comment', _NO)
    if type(v0) is not str:
        raise _Bad(f'DropTableCommentOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) not in k1:
            raise _Bad(f'DropTableCommentOp.schema: unexpected {type(v1).__name__}')
        elif type(v1) is str and len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'DropTableCommentOp.existing_comment: unexpected {type(v2).__name__}')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure26(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, d2=None, k2=None, c2=None, ct2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v2), (q1, v1), (q2, v0), = o
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
        v1 = o.get('schema', _NO)
        v2 = o.get('_reverse', _NO)
    if type(v0) is not str:
        raise _Bad(f'DropTableOp.table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('table_name is longer than 1024 bytes')
    if v1 is _NO:
        v1 = d1
    else:
        if type(v1) not in k1:
            raise _Bad(f'DropTableOp.schema: unexpected {type(v1).__name__}')
        elif type(v1) is str and len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            if type(v2) is not dict and type(v2) is not tuple:
                raise _Bad(f'DropTableOp._reverse: unexpected {type(v2).__name__}')
            v2 = c2(v2, ct2)
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


def _structure27(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v1), (q1, v0), (q2, v2), = o
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
        v0 = o['old_table_name']
        v1 = o['new_table_name']
        v2 = o.get('schema', _NO)
    if type(v0) is not str:
        raise _Bad(f'RenameTableOp.old_table_name: unexpected {type(v0).__name__}')
    if len(v0) > _S and len(v0.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('old_table_name is longer than 1024 bytes')
    if type(v1) is not str:
        raise _Bad(f'RenameTableOp.new_table_name: unexpected {type(v1).__name__}')
    if len(v1) > _S and len(v1.encode('utf-8', 'surrogatepass')) > _MAX:
        raise _Bad('new_table_name is longer than 1024 bytes')
    if v2 is _NO:
        v2 = d2
    else:
        if type(v2) not in k2:
            raise _Bad(f'RenameTableOp.schema: unexpected {type(v2).__name__}')
        elif type(v2) is str and len(v2) > _S and len(v2.encode('utf-8', 'surrogatepass')) > _MAX:
            raise _Bad('schema is longer than 1024 bytes')
    made = _new(_cls)
    s0(made, v0)
    s1(made, v1)
    s2(made, v2)
    return made


#: the structure function's file name -> (the SHA-256 of its source, the function written from it)
WRITTEN = {
    '<structure ops.column.AddColumnOp>': ('989921de4d4770bcd36e296eb7fa69d312027bc72e3b2302947cf93087be113f', _structure0),
    '<structure ops.column.AlterColumnOp>': ('4dddfdf5e4d714287b9a831f00391f11491257b13f33644426a799fe02bea36e', _structure1),
    '<structure ops.column.DropColumnOp>': ('a196ae4265648e07820880d2f40978763b52d1eb12495a81af70b87b1c885a23', _structure2),
    '<structure ops.constraint.CreateCheckConstraintOp>': ('411507229d873d3bcded1bbb57b19678acb090601a251f925a0cf6002be875a2', _structure3),
    '<structure ops.constraint.CreateForeignKeyOp>': ('7362802e1bbe31fcf1337cfe49e1f2950e555035c38c9642d576c266ed4166d5', _structure4),
    '<structure ops.constraint.CreatePrimaryKeyOp>': ('190ab78f6f41776c408947f0e8a4ee46b61eed2996c81e4f75be5416f83f0e91', _structure5),
    '<structure ops.constraint.CreateUniqueConstraintOp>': ('990bbe0ea4c7dbe964e51cd3442095d03bbcda333fc39b880d86e07cb3c42697', _structure6),
    '<structure ops.constraint.DropConstraintOp>': ('8586419e82f317d5b157c5d0d645166e54d078c702e00582ba42be02380cc4d4', _structure7),
    '<structure ops.index.CreateIndexOp>': ('5e4f5510aa16e26628a2d959b1a266391c9db4fe2ee1148f0333ba09e7b883fc', _structure8),
    '<structure ops.index.DropIndexOp>': ('651f26861f6b25b37284567846bce28ad2c69ff8dfd2e2608e01bc8bef63c28d', _structure9),
    '<structure ops.keyspecs.CheckSpec>': ('26ff8d692d37b9a7b7f762ec4b861e49df3f0fefe19c53461b653a5b695b0b96', _structure10),
    '<structure ops.keyspecs.ForeignKeySpec>': ('4eaf46356ad3d9ca7f9984c084abc2515aaa7be63bf19f05465c17fbd786a236', _structure11),
    '<structure ops.keyspecs.IndexElement>': ('41dd7a4a7c5afde67940b55fbaa15ecf77bfcd877ab2c6695c608fe2a0bb3d31', _structure12),
    '<structure ops.keyspecs.IndexSpec>': ('a2104a8273e65b0e732f33c6744c18cf517b5fa64323123db96d85c1470e54c7', _structure13),
    '<structure ops.keyspecs.PrimaryKeySpec>': ('b718ece5688c9a2be743c022f25b0208363a903c23922589e9b44de48b4675c4', _structure14),
    '<structure ops.keyspecs.UniqueSpec>': ('59d040413b9426c2aaa97a430751d67f7daf20715e5d59c37967e77d33b3cc9b', _structure15),
    '<structure ops.specs.ColumnSpec>': ('1c7e35397646e9881c55ee54fd9581af408f75c2d638c257092af33db3c5429a', _structure16),
    '<structure ops.specs.ComputedSpec>': ('2a77c258a2eedab32dfd4f1835250c7c34f382b6e8e8b95d9dff1d200685fa39', _structure17),
    '<structure ops.specs.DefaultSpec>': ('3a517fbfcda376826b294b38511752847709c64183786404e8e72298f7da1047', _structure18),
    '<structure ops.specs.IdentitySpec>': ('374b6f72f8ece57968ba5adeb1375d9aa249cad2de2c68605d3d5bb58646dee1', _structure19),
    '<structure ops.specs.TableSpec>': ('15c4b809f3467eb3b4c443a7dbd886dcb6431fdbf43950cee85eed11bc78d147', _structure20),
    '<structure ops.sql.ExecuteSQLOp>': ('61254593cad824809fff9a24ea33c21d0139458fc5784eb4b9d6707793bed30e', _structure21),
    '<structure ops.table.AlterTableOptionsOp>': ('81d8d501b860a22f2796071d7f77fee20831967e7d73e0ff5f8eac68f85d60cd', _structure22),
    '<structure ops.table.CreateTableCommentOp>': ('2b280c14e7b9f51e1d161c28fd96e065160a418b89eb007981884c0335acb47e', _structure23),
    '<structure ops.table.CreateTableOp>': ('950e27c6f9a6ff3d5b58899434bcb1a34744cf343d5293efc77a0a2d36110f22', _structure24),
    '<structure ops.table.DropTableCommentOp>': ('5765d0df7c945674468924f4f5220b970a1b3203f546d3f7196e194ce77e2662', _structure25),
    '<structure ops.table.DropTableOp>': ('f3a8b348a6f5c28cc5e9bcab9eeb38e94006f30c4036020fe9ed7eecb0a31002', _structure26),
    '<structure ops.table.RenameTableOp>': ('08b877370c9147adf8ac8c0f897609ab9dac61fa3d42a636ef55b791da84a425', _structure27),
}
