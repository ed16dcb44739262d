"""Core value types and ports. Depends on nothing but the standard library and attrs."""
