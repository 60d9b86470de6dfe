from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from purposeful.api import api, moved_urls
from purposeful.core.auth import SignInForm
from purposeful.people import views as people_views
from purposeful.people.forms import PasswordResetForm, ResetPasswordForm

urlpatterns = [
    path("", include("purposeful.home.urls")),
    path("", include("purposeful.organisation.urls")),
    path("", include("purposeful.people.urls")),
    path("", include("purposeful.audit.urls")),
    path("", include("purposeful.relationships.urls")),
    path("", include("purposeful.feedback.urls")),
    path("", include("purposeful.targets.urls")),
    path("", include("purposeful.offers.urls")),
    path("", include("purposeful.outreach.urls")),
    path("", include("purposeful.sensing.urls")),
    path("", include("purposeful.notifications.urls")),
    path("", include("purposeful.exchange.urls")),
    path("", include("purposeful.privacy.urls")),
    path("", include("purposeful.webhooks.urls")),
    path("", include("purposeful.operations.urls")),
    path("", include("purposeful.drafts.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    # Django's own views, with the rate limit and token handling of people.forms
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ResetPasswordForm),
        name="password_reset_confirm",
    ),
    # signing out once the session has ended leads home, not to the sign-in page
    path(
        "accounts/logout/",
        login_not_required(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path(
        "accounts/password_change/done/",
        people_views.password_change_done,
        name="password_change_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    *moved_urls,
    path("api/v1/", api.urls),
]

handler400 = "purposeful.home.views.error_400"
handler403 = "purposeful.home.views.error_403"
handler404 = "purposeful.home.views.error_404"
handler500 = "purposeful.home.views.error_500"
