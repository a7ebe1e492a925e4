from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "habitat.cms"
    label = "cms"
    verbose_name = "Pages éditoriales"
