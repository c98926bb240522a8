from django.urls import path

from . import coordinator_views, views, views_ontheday

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("sessions.ics", views.catalogue_feed, name="catalogue_feed"),
    path("courses/<slug:slug>/", views.course, name="course"),
    path("courses/<slug:slug>/request/", views.request_place, name="request_place"),
    path("courses/<slug:slug>/e-learning/", views.elearning, name="elearning"),
    path("courses/<slug:slug>/e-learning/video/", views.elearning_video, name="elearning_video"),
    path("courses/<slug:slug>/e-learning/captions.vtt", views.elearning_captions, name="elearning_captions"),
    path("courses/<slug:slug>/e-learning/certificate.pdf", views.elearning_certificate, name="elearning_certificate"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/book/", views.book, name="book"),
    path("sessions/<int:pk>/waiting-list/", views.join_waiting_list, name="join_waiting_list"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("sessions/<int:pk>/register.csv", views.register_csv, name="register_csv"),
    path("my-training/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", views.booking, name="booking"),
    path("bookings/<int:pk>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("bookings/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("bookings/<int:pk>/evaluation/", views.evaluate, name="evaluate"),
    path("waiting-list/<int:pk>/", views.waiting_entry, name="waiting_entry"),
    path("calendar/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("certificates/check/", views.check_certificate, name="check_certificate"),
    path("learning-record/", views.learning_record, name="learning_record"),
    path("learning-record/outside-training/", views.add_outside_training, name="add_outside_training"),
    path("learning-record/evidence/<int:pk>/", views.outside_training_evidence, name="evidence"),
    path("learning-record/people/", views.organisation_records, name="organisation_records"),
    path("learning-record/people/<int:person_id>/", views.person_learning_record, name="person_learning_record"),
    path("learning-record/people/<int:person_id>/record.csv", views.learning_record_csv, name="learning_record_csv"),
    path("learning-record/people/<int:person_id>/record.pdf", views.learning_record_pdf, name="learning_record_pdf"),
    path("teaching/", views.teaching, name="teaching"),
    path("manage/", views.manage, name="manage"),
    path("manage/courses/new/", views.course_form, name="course_create"),
    path("manage/courses/<slug:slug>/", views.manage_course, name="manage_course"),
    path("manage/courses/<slug:slug>/edit/", views.course_form, name="course_edit"),
    path("manage/courses/<slug:slug>/sessions/new/", views.session_form, name="session_create"),
    path("manage/courses/<slug:slug>/e-learning/", views.manage_elearning, name="manage_elearning"),
    path("manage/courses/<slug:slug>/e-learning/edit/", views.elearning_form, name="elearning_form"),
    path("manage/courses/<slug:slug>/e-learning/questions/new/", views.question_form, name="question_create"),
    path("manage/questions/<int:pk>/edit/", views.question_form, name="question_edit"),
    path("manage/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("manage/sessions/<int:pk>/edit/", views.session_form, name="session_edit"),
    path("manage/sessions/<int:pk>/copy/", views.copy_session, name="session_copy"),
    path("manage/sessions/<int:pk>/cancel/", views.cancel_session, name="session_cancel"),
    path("manage/requests/", views.requests, name="requests"),
    path("manage/requests/<int:pk>/", views.decide_request, name="decide_request"),
    # The coordinator's week (coordinator_views.py): scheduling, bank holidays, questions, approval, e-mails.
    path("manage/courses/<slug:slug>/schedule/", coordinator_views.schedule, name="schedule"),
    path("manage/bank-holidays/", coordinator_views.bank_holidays, name="bank_holidays"),
    path("manage/bank-holidays/<int:pk>/delete/", coordinator_views.bank_holiday_delete, name="bank_holiday_delete"),
    path(
        "manage/courses/<slug:slug>/booking-questions/", coordinator_views.booking_questions, name="booking_questions"
    ),
    path(
        "manage/courses/<slug:slug>/booking-questions/new/",
        coordinator_views.booking_question_form,
        name="booking_question_create",
    ),
    path(
        "manage/booking-questions/<int:pk>/edit/", coordinator_views.booking_question_form, name="booking_question_edit"
    ),
    path(
        "manage/booking-questions/<int:pk>/delete/",
        coordinator_views.booking_question_delete,
        name="booking_question_delete",
    ),
    path("approval/<str:token>/", coordinator_views.approval_link, name="approval"),
    path("sessions/<int:pk>/email/", coordinator_views.session_email_view, name="session_email"),
    # On the day, charges and reports (views_ontheday)
    path("sessions/<int:pk>/check-in/", views_ontheday.check_in, name="check_in"),
    path("sessions/<int:pk>/sign-in-sheet.pdf", views_ontheday.sign_in_sheet, name="sign_in_sheet"),
    path("sessions/<int:pk>/register/close/", views_ontheday.close_register, name="close_register"),
    path("manage/charges/", views_ontheday.charges_list, name="charges"),
    path("manage/charges/<int:pk>/waive/", views_ontheday.waive_charge, name="waive_charge"),
    path("manage/charges/<int:year>-<int:month>.csv", views_ontheday.charges_csv, name="charges_csv"),
    path("reports/", views_ontheday.training_reports, name="reports"),
    path("reports.csv", views_ontheday.training_reports_csv, name="reports_csv"),
]
