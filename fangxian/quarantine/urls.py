"""Quarantine pages: HQ and village pages (orders, sites, the board) and the team's phone pages
(rounds, alerts, errands) are kept in two route modules so that each stays small."""

from fangxian.quarantine import urls_orders, urls_team

app_name = "quarantine"

urlpatterns = [*urls_orders.urlpatterns, *urls_team.urlpatterns]
