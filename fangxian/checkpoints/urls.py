from django.urls import path

from fangxian.checkpoints.views import api, checkpoints, codes, figures, passages

app_name = "checkpoints"

urlpatterns = [
    # A checkpoint worker's home: their shift, and registration at their checkpoint.
    path("", checkpoints.duty_home_view, name="home"),
    # HQ: checkpoints (卡点), their rota and figures.
    path("manage/", checkpoints.checkpoint_list_view, name="checkpoint-list"),
    path("manage/new/", checkpoints.checkpoint_create_view, name="checkpoint-create"),
    path("<int:checkpoint_id>/edit/", checkpoints.checkpoint_edit_view, name="checkpoint-edit"),
    path("<int:checkpoint_id>/rota/", checkpoints.rota_view, name="rota"),
    path("<int:checkpoint_id>/rota/shifts/", checkpoints.shift_create_view, name="shift-create"),
    path(
        "shifts/<int:shift_id>/members/",
        checkpoints.shift_member_add_view,
        name="shift-member-add",
    ),
    path(
        "shifts/<int:shift_id>/members/remove/",
        checkpoints.shift_member_remove_view,
        name="shift-member-remove",
    ),
    path("figures/", figures.figures_view, name="figures"),
    # Passages (通行登记): registration on the phone, corrections, lists, the device endpoint.
    path("<int:checkpoint_id>/passages/new/", passages.passage_create_view, name="passage-create"),
    path("passages/", passages.passage_list_view, name="passage-list"),
    path("passages/<int:passage_id>/", passages.passage_detail_view, name="passage-detail"),
    path(
        "passages/<int:passage_id>/correct/",
        passages.passage_correct_view,
        name="passage-correct",
    ),
    path("lookup/", passages.person_lookup_view, name="person-lookup"),
    path("api/passages/", api.passage_create_api, name="api-passage-create"),
    # Notices to grid workers: arrivals from key areas.
    path("notices/", checkpoints.notice_list_view, name="notice-list"),
    path("notices/<int:notice_id>/read/", checkpoints.notice_read_view, name="notice-read"),
    # Personal codes, from the person's page.
    path("people/<int:person_id>/code/issue/", codes.code_issue_view, name="code-issue"),
    path("people/<int:person_id>/code/revoke/", codes.code_revoke_view, name="code-revoke"),
]
