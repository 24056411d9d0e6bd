"""The public notice's URLs: the office's under /designations/notices/ (namespace
``notices``), the public's under /public/notices/ (namespace ``public_notices``)."""

from django.urls import include, path

from . import views

office_patterns = (
    [
        path("", views.notice_list, name="list"),
        path("open/", views.notice_open, name="open"),
        path("<int:pk>/", views.notice_detail, name="detail"),
        path("objections/<int:pk>/", views.objection_detail, name="objection"),
        path(
            "objections/<int:pk>/attachment/",
            views.objection_attachment,
            name="objection_attachment",
        ),
        path("calendar/", views.calendar_list, name="calendar"),
        path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    ],
    "notices",
)

public_patterns = (
    [
        path("", views.public_notices, name="list"),
        path("<int:pk>/object/", views.objection_submit, name="object"),
        path("lookup/", views.objection_lookup, name="lookup"),
    ],
    "public_notices",
)

office = include(office_patterns)
public = include(public_patterns)
