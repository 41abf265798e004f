from django.contrib import admin

from issues_adapters.persistence.models import Category, CommentRecord, IssueRecord, RecordedEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        # Issues keep their category forever; retire a category by making it inactive.
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records change only through commands; the admin may look, never touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentInline(admin.TabularInline):
    model = CommentRecord
    extra = 0
    can_delete = False
    readonly_fields = ["author_name", "author_role", "visibility", "body", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IssueRecord)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "priority", "category", "assignee", "reported_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["reference", "reporter_email", "reporter_name"]
    show_full_result_count = False
    inlines = [CommentInline]


@admin.register(RecordedEvent)
class RecordedEventAdmin(ReadOnlyAdmin):
    list_display = [
        "position",
        "event_type",
        "issue_id",
        "issue_version",
        "actor_name",
        "occurred_at",
    ]
    list_filter = ["event_type"]
    search_fields = ["=issue_id", "=event_id"]
    show_full_result_count = False
