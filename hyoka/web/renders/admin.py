"""The task queue has no admin pages: it holds no data people edit, and the report's progress page
says where each rendering is. (django_tasks_db registers them; every admin page would be one more
endpoint for the permission matrix to hold.)"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)
