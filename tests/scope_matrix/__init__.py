"""The role × scope matrix's parts: what each page needs (`pages`) and the world it walks
(`world`). The walk and its checks are tests/test_scope_matrix.py."""
