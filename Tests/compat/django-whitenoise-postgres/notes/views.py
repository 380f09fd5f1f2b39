from django.db import connection
from django.shortcuts import render

from .models import Visit


def index(request):
    Visit.objects.create()
    return render(request, "notes/index.html", {"visits": Visit.objects.count(), "vendor": connection.vendor})
