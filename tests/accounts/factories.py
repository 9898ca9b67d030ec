import factory
from django.contrib.auth.models import Group

from apps.accounts.models import Department, User

PASSWORD = "Test-Password-2023"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    department = factory.LazyFunction(lambda: Department.objects.get(code=Department.Code.SERVICE))

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set(Group.objects.filter(name__in=extracted))


def department(code: str) -> Department:
    return Department.objects.get(code=code)
