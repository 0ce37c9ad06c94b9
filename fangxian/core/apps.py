from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fangxian.core"
    label = "core"
