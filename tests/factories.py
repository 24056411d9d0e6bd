import factory

from organizations.models import User
from portal.demo import DEMO_PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.invalid")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def otp_device_for(user: User):
    """The user's confirmed TOTP device, created when missing (the test's authenticator app)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def otp_code(device) -> str:
    """A code ``device`` accepts now (never one it has already seen)."""
    from portal.demo import totp_code_now

    return totp_code_now(device)


def mark_verified(client, user: User) -> None:
    """Make ``client``'s session (already logged in as ``user``) one that passed the second
    factor with the user's device, as ``django_otp.login`` does after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = otp_device_for(user).persistent_id
    session.save()
