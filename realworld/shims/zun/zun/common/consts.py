"""zun.common.consts (zun 18.0.0): the container type a revision takes as a column's default."""
TYPE_CONTAINER = 0
