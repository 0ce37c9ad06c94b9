"""Routes of the HQ and village quarantine pages (orders, approvals, sites, the board)."""

urlpatterns: list = []
