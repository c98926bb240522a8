"""Django's admin for training, for system administrators. The business unit writes e-learning items and their
knowledge checks on the hub's own pages (/training/manage/courses/<slug>/e-learning/)."""

from django.contrib import admin

from .models import Answer, ELearningItem, Question, Topic


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    show_change_link = True


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 3


@admin.register(ELearningItem)
class ELearningItemAdmin(admin.ModelAdmin):
    list_display = ["course", "minutes", "pass_mark"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "item", "number"]
    inlines = [AnswerInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
