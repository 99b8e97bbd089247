"""The structure functions of the classes of ``ops.table`` (``ledger.format.payload``), written
out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead
of compiled at each start. Each function's names are its keyword-only parameters, bound when it
is made (``structuring.function``)."""

# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what
# that writes.


def _structure0(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, _pairs_in=None, d2=None, k2=None, d3=None, k3=None, _NO=None):
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


def _structure1(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, d3=None, k3=None, _NO=None, _new=None, s0=None, s1=None, s2=None, s3=None):
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


def _structure2(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, h0=None, t0=None, d1=None, h1=None, t1=None, _NO=None):
    if type(o) is tuple and len(o) == 1:
        (q0, v0), = o
        fast = (q0,) == _canon
    else:
        fast = False
    if fast:
        v1 = _NO
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
        v1 = o.get('_then', _NO)
    v0 = h0(v0, t0)
    if v1 is _NO:
        v1 = d1
    else:
        v1 = h1(v1, t1)
    return _cls(v0, v1)


def _structure3(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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


def _structure4(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d1=None, k1=None, d2=None, k2=None, c2=None, ct2=None, d3=None, h3=None, t3=None, _NO=None):
    if type(o) is tuple and len(o) == 3:
        (q0, v2), (q1, v1), (q2, v0), = o
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
        v1 = o.get('schema', _NO)
        v2 = o.get('_reverse', _NO)
        v3 = o.get('_dependents', _NO)
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
    if v3 is _NO:
        v3 = d3
    else:
        v3 = h3(v3, t3)
    return _cls(v0, v1, v2, v3)


def _structure5(o, _=None, *, _Bad=None, _dict=None, _cls=None, _typespec_in=None, _S=None, _MAX=None, _LO=None, _HI=None, _known=None, _canon=None, d2=None, k2=None, _NO=None, _new=None, s0=None, s1=None, s2=None):
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
    '<structure ops.table.AlterTableOptionsOp>': ('81d8d501b860a22f2796071d7f77fee20831967e7d73e0ff5f8eac68f85d60cd', _structure0),
    '<structure ops.table.CreateTableCommentOp>': ('2b280c14e7b9f51e1d161c28fd96e065160a418b89eb007981884c0335acb47e', _structure1),
    '<structure ops.table.CreateTableOp>': ('610184416b4cb60e28aca9d5cafb07449cebf40de38d5a0c0d665f31d82dd342', _structure2),
    '<structure ops.table.DropTableCommentOp>': ('5765d0df7c945674468924f4f5220b970a1b3203f546d3f7196e194ce77e2662', _structure3),
    '<structure ops.table.DropTableOp>': ('8142357374478791d51be23149f59e972b77fd35a5577ed377330d0f411c2393', _structure4),
    '<structure ops.table.RenameTableOp>': ('08b877370c9147adf8ac8c0f897609ab9dac61fa3d42a636ef55b791da84a425', _structure5),
}
