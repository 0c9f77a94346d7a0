from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("welfare/", views.welfare, name="welfare"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("board/", views.board, name="board"),
    path("board/<int:pk>/", views.board_job, name="board_job"),
    path("my/postings/", views.postings, name="postings"),
    path("my/postings/new/", views.posting_new, name="posting_new"),
    path("my/postings/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("my/postings/<int:pk>/status/", views.posting_change, name="posting_change"),
]
