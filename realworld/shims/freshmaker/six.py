"""six's ``next``, which b17231ee8220 imports (six is not installed here)."""
next = next
