"""E-learning items and their knowledge checks are written in Django's admin; everything else has hub pages."""

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
