"""The ``__init__`` of each shape of fields of the classes ``ops.classes`` makes for the vocabulary,
written out (``ops.classes.initcode_text``): loaded with this module's bytecode instead of compiled
at each start. Each uses the names its class's own scope gives it (set to None here)."""

# Written by ops.classes.initcode_text; tests/test_ops_classes.py checks it is what that writes.

from __future__ import annotations  # as ops.classes compiles them

_NOTHING = _a3 = _c0 = _c1 = _c3 = _c4 = _c5 = _c6 = _c7 = _c8 = None
_c9 = _f0 = _f1 = _f2 = _f3 = _f4 = _f8 = _f9 = _s0 = _s1 = None
_s10 = _s11 = _s12 = _s13 = _s14 = _s2 = _s3 = _s4 = _s5 = _s6 = None
_s7 = _s8 = _s9 = _v3 = None


def _init0(self, a0, a1):
    _s0(self, a0)
    _s1(self, a1)
    return None


def _init1(self, a0, a1, a2):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    return None


def _init2(self, a0, a1, a2):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    a3 = _f3(self)
    _s3(self, a3)
    a4 = _f4(self)
    _s4(self, a4)
    return None


def _init3(self, a0, a1, a2, a3):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    return None


def _init4(self, a0, a1, a2, a3, a4):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    return None


def _init5(self, a0, a1, a2, a3, a4, a5):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    return None


def _init6(self, a0, a1, a2, a3, a4, a5, a6):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    return None


def _init7(self, a0, a1, a2, a3, a4, a5, a6, a7):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    return None


def _init8(self, a0, a1, a2, a3, a4, a5, a6, a7, a8):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    _s8(self, a8)
    return None


def _init9(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    _s8(self, a8)
    _s9(self, a9)
    return None


def _init10(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    _s8(self, a8)
    _s9(self, a9)
    _s10(self, a10)
    return None


def _init11(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    _s8(self, a8)
    _s9(self, a9)
    _s10(self, a10)
    _s11(self, a11)
    _s12(self, a12)
    _s13(self, a13)
    _s14(self, a14)
    return None


def _init12(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    if a8 is _NOTHING:
        a8 = _f8()
    _s8(self, a8)
    if a9 is _NOTHING:
        a9 = _f9()
    _s9(self, a9)
    _s10(self, a10)
    return None


def _init13(self, a0, a1, a2, a3, a4, a5):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    a5 = _c5(a5)
    _s5(self, a5)
    return None


def _init14(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    a5 = _c5(a5)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    a8 = _c8(a8)
    _s8(self, a8)
    a9 = _c9(a9)
    _s9(self, a9)
    _s10(self, a10)
    _s11(self, a11)
    _s12(self, a12)
    _s13(self, a13)
    return None


def _init15(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    a4 = _c4(a4)
    _s4(self, a4)
    a5 = _c5(a5)
    _s5(self, a5)
    a6 = _c6(a6)
    _s6(self, a6)
    a7 = _c7(a7)
    _s7(self, a7)
    _s8(self, a8)
    _s9(self, a9)
    return None


def _init16(self, a0, a1, a2, a3):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    a3 = _c3(a3)
    _s3(self, a3)
    return None


def _init17(self, a0, a1, a2, a3, a4):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    if a3 is _NOTHING:
        a3 = _f3()
    _s3(self, a3)
    if a4 is _NOTHING:
        a4 = _f4()
    _s4(self, a4)
    return None


def _init18(self, a0, a1, a2, *, a3, a4):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    a4 = _c4(a4)
    _s4(self, a4)
    return None


def _init19(self, a0, a1, a2, *, a3):
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    a3 = _c3(a3)
    _s3(self, a3)
    return None


def _init20(self, a0, a1, a2, a3, a4, a5, a6):
    _s0(self, a0)
    _s1(self, a1)
    if a2 is _NOTHING:
        a2 = _f2()
    _s2(self, a2)
    _s3(self, a3)
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    return None


def _init21(self, a0, a1):
    _s0(self, a0)
    a1 = _c1(a1)
    _s1(self, a1)
    return None


def _init22(self, a0, a1, a2, a3):
    _s0(self, a0)
    a1 = _c1(a1)
    _s1(self, a1)
    _s2(self, a2)
    a3 = _c3(a3)
    _s3(self, a3)
    return None


def _init23(self, a0, a1, a2):
    _s0(self, a0)
    if a1 is _NOTHING:
        a1 = _f1()
    _s1(self, a1)
    if a2 is _NOTHING:
        a2 = _f2()
    _s2(self, a2)
    return None


def _init24(self, a0, a1, a2, a3, a4):
    _s0(self, a0)
    if a1 is _NOTHING:
        a1 = _f1()
    _s1(self, a1)
    if a2 is _NOTHING:
        a2 = _f2()
    _s2(self, a2)
    if a3 is _NOTHING:
        a3 = _f3()
    _s3(self, a3)
    if a4 is _NOTHING:
        a4 = _f4()
    _s4(self, a4)
    return None


def _init25(self, a0):
    _s0(self, a0)
    return None


def _init26(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9):
    if a0 is _NOTHING:
        a0 = _f0()
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    if a3 is _NOTHING:
        a3 = _f3()
    _s3(self, a3)
    if a4 is _NOTHING:
        a4 = _f4()
    _s4(self, a4)
    _s5(self, a5)
    _s6(self, a6)
    _s7(self, a7)
    if a8 is _NOTHING:
        a8 = _f8()
    _s8(self, a8)
    _s9(self, a9)
    return None


def _init27(self, a0, a1, a2, a3):
    if a0 is _NOTHING:
        a0 = _f0()
    a0 = _c0(a0)
    _s0(self, a0)
    _s1(self, a1)
    _s2(self, a2)
    _s3(self, a3)
    _v3(self, _a3, a3)
    self.__attrs_post_init__()
    return None


#: (shape, post_init) -> its ``__init__``
SHAPES = {
    (((True, False, 0, False, False), (True, False, 0, False, False)), False): _init0,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init1,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (False, False, 3, False, False), (False, False, 3, False, False)), False): _init2,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init3,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init4,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init5,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init6,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init7,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init8,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init9,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init10,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init11,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 2, False, False), (True, False, 2, False, False), (True, False, 0, False, False)), False): _init12,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, True, False)), False): _init13,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, True, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, True, False), (True, False, 0, True, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init14,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, True, False), (True, False, 0, True, False), (True, False, 0, True, False), (True, False, 0, True, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init15,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, True, False)), False): _init16,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 2, False, False), (True, False, 2, False, False)), False): _init17,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, True, 0, False, False), (True, True, 0, True, False)), False): _init18,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, True, 0, True, False)), False): _init19,
    (((True, False, 0, False, False), (True, False, 0, False, False), (True, False, 2, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False)), False): _init20,
    (((True, False, 0, False, False), (True, False, 0, True, False)), False): _init21,
    (((True, False, 0, False, False), (True, False, 0, True, False), (True, False, 0, False, False), (True, False, 0, True, False)), False): _init22,
    (((True, False, 0, False, False), (True, False, 2, False, False), (True, False, 2, False, False)), False): _init23,
    (((True, False, 0, False, False), (True, False, 2, False, False), (True, False, 2, False, False), (True, False, 2, False, False), (True, False, 2, False, False)), False): _init24,
    (((True, False, 0, False, False),), False): _init25,
    (((True, False, 2, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 2, False, False), (True, False, 2, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 2, False, False), (True, False, 0, False, False)), False): _init26,
    (((True, False, 2, True, False), (True, False, 0, False, False), (True, False, 0, False, False), (True, False, 0, False, True)), True): _init27,
}
