"""Routes of the HQ and village quarantine pages (orders, approvals, sites, the board)."""

from django.urls import path

from fangxian.quarantine.views import actions, approvals, board, exports, notices, orders, sites

urlpatterns = [
    # The board (隔离管控看板) and the rows behind each figure; team load (四包一).
    path("board/", board.board_view, name="board"),
    path("board/list/", board.board_list_view, name="board-list"),
    path("team-load/", board.team_load_view, name="team-load"),
    # Orders (隔离令): placed from the person's page; the list, its export, the order's page.
    path("people/<int:person_id>/orders/new/", orders.order_create_view, name="order-create"),
    path("orders/", orders.order_list_view, name="order-list"),
    path("orders/export/", exports.order_export_view, name="order-export"),
    path("orders/<int:order_id>/", orders.order_detail_view, name="order-detail"),
    path("orders/<int:order_id>/activate/", actions.order_activate_view, name="order-activate"),
    path("orders/<int:order_id>/period/", actions.order_period_view, name="order-period"),
    path("orders/<int:order_id>/room/", actions.order_room_view, name="order-room"),
    path("orders/<int:order_id>/release/", actions.order_release_view, name="order-release"),
    path("orders/<int:order_id>/transfer/", actions.order_transfer_view, name="order-transfer"),
    path("orders/<int:order_id>/cancel/", actions.order_cancel_view, name="order-cancel"),
    path("orders/<int:order_id>/door-code/", actions.order_token_view, name="order-token"),
    path("orders/<int:order_id>/approve/", actions.order_approve_view, name="order-approve"),
    path("orders/<int:order_id>/appeals/", actions.appeal_lodge_view, name="appeal-lodge"),
    path(
        "orders/<int:order_id>/team/<int:team_role_id>/",
        actions.team_assign_view,
        name="team-assign",
    ),
    path("team/<int:team_member_id>/end/", actions.team_member_end_view, name="team-member-end"),
    # Printed: the door notice (提醒公示牌) and the person's notice (告知书); the door code's page.
    path("orders/<int:order_id>/door-notice/", notices.door_notice_view, name="door-notice"),
    path("orders/<int:order_id>/letter/", notices.letter_view, name="letter"),
    path("door/<str:token>/", notices.door_view, name="door"),
    # Lists placed in bulk, second approvals, supervision alerts, appeals.
    path("bulk/", approvals.bulk_place_view, name="bulk-place"),
    path("batches/<int:batch_id>/", approvals.batch_detail_view, name="batch-detail"),
    path("batches/<int:batch_id>/approve/", approvals.batch_approve_view, name="batch-approve"),
    path("batches/<int:batch_id>/reject/", approvals.batch_reject_view, name="batch-reject"),
    path("approvals/", approvals.approval_list_view, name="approval-list"),
    path("supervision/", approvals.supervision_list_view, name="supervision-list"),
    path(
        "supervision/<int:supervision_alert_id>/seen/",
        approvals.supervision_seen_view,
        name="supervision-seen",
    ),
    path("appeals/", approvals.appeal_list_view, name="appeal-list"),
    path("appeals/<int:appeal_id>/decide/", approvals.appeal_decide_view, name="appeal-decide"),
    # Centralised sites (集中隔离点).
    path("sites/", sites.site_list_view, name="site-list"),
    path("sites/new/", sites.site_create_view, name="site-create"),
    path("sites/<int:site_id>/", sites.site_detail_view, name="site-detail"),
    path("sites/<int:site_id>/rooms/", sites.site_rooms_add_view, name="site-rooms-add"),
]
