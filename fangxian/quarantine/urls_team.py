"""Routes of the team's phone pages (the day's round, alerts, calls, errands and care)."""

urlpatterns: list = []
