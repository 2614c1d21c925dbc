"""Which folders of a mailbox are synced: each folder's role, and the folders a pass reads.

:func:`describe_folders` / :func:`folders_to_sync`: Trash, Junk and Drafts are never synced, found by
SPECIAL-USE or by their usual names in common languages; Sent by ``\\Sent`` or its usual names.
**Gmail**: every label is a view of "All Mail" (``\\All``), so scope "all" syncs that one folder only,
which holds INBOX, Sent and every label once, archived mail included, and no Spam or Trash; the
drafts it also holds are skipped by their ``\\Draft`` flag. Other virtual views (``\\Flagged``,
``\\Important``) are skipped in scope "all". :func:`find_folder`: the folder with a role (archive,
trash), for two-way archiving.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .session import Folder

__all__ = [
    "NEVER_SYNCED_ROLES",
    "ROLE_ALL",
    "ROLE_ARCHIVE",
    "ROLE_DRAFTS",
    "ROLE_FLAGGED",
    "ROLE_IMPORTANT",
    "ROLE_INBOX",
    "ROLE_JUNK",
    "ROLE_NOT_MAIL",
    "ROLE_OTHER",
    "ROLE_SENT",
    "ROLE_TRASH",
    "FolderChoice",
    "FolderSelection",
    "describe_folders",
    "find_folder",
    "folder_role",
    "folders_to_sync",
]

ROLE_INBOX = "inbox"
ROLE_SENT = "sent"
ROLE_DRAFTS = "drafts"
ROLE_TRASH = "trash"
ROLE_JUNK = "junk"
ROLE_ARCHIVE = "archive"
ROLE_ALL = "all"
ROLE_FLAGGED = "flagged"
ROLE_IMPORTANT = "important"
ROLE_NOT_MAIL = "not_mail"
ROLE_OTHER = "other"
NEVER_SYNCED_ROLES = frozenset({ROLE_DRAFTS, ROLE_TRASH, ROLE_JUNK})

_SPECIAL_USE_ROLES = {
    "\\sent": ROLE_SENT,
    "\\drafts": ROLE_DRAFTS,
    "\\trash": ROLE_TRASH,
    "\\junk": ROLE_JUNK,
    "\\archive": ROLE_ARCHIVE,
    "\\all": ROLE_ALL,
    "\\flagged": ROLE_FLAGGED,
    "\\important": ROLE_IMPORTANT,
}

# Usual names of folders without a SPECIAL-USE attribute, compared case-insensitively with the last
# part of the name, for folders at the top level or directly under INBOX or [Gmail].
_ROLE_NAMES = {
    ROLE_SENT: (
        "sent",
        "sent items",
        "sent messages",
        "sent mail",
        "sent-mail",
        "sent e-mail",
        "gesendet",
        "gesendete elemente",
        "gesendete objekte",
        "gesendete nachrichten",
        "envoyés",
        "éléments envoyés",
        "messages envoyés",
        "enviados",
        "elementos enviados",
        "mensajes enviados",
        "itens enviados",
        "inviati",
        "posta inviata",
        "elementi inviati",
        "verzonden",
        "verzonden items",
        "wysłane",
        "elementy wysłane",
        "odeslané",
        "skickat",
        "skickade objekt",
        "sendt",
        "sendte elementer",
        "lähetetyt",
        "отправленные",
        "已发送",
        "送信済み",
    ),
    ROLE_DRAFTS: (
        "drafts",
        "draft",
        "entwürfe",
        "brouillons",
        "borradores",
        "rascunhos",
        "bozze",
        "concepten",
        "kopie robocze",
        "koncepty",
        "utkast",
        "kladder",
        "luonnokset",
        "черновики",
        "草稿",
        "下書き",
    ),
    ROLE_TRASH: (
        "trash",
        "bin",
        "deleted",
        "deleted items",
        "deleted messages",
        "papierkorb",
        "gelöschte elemente",
        "gelöschte objekte",
        "corbeille",
        "éléments supprimés",
        "papelera",
        "elementos eliminados",
        "lixeira",
        "lixo",
        "itens excluídos",
        "cestino",
        "posta eliminata",
        "elementi eliminati",
        "prullenbak",
        "verwijderde items",
        "kosz",
        "elementy usunięte",
        "koš",
        "papperskorgen",
        "borttagna objekt",
        "papirkurv",
        "slettede elementer",
        "roskakori",
        "корзина",
        "удаленные",
        "удалённые",
        "已删除",
        "ゴミ箱",
    ),
    ROLE_JUNK: (
        "junk",
        "spam",
        "junk e-mail",
        "junk email",
        "junk mail",
        "bulk mail",
        "spamverdacht",
        "junk-e-mail",
        "courrier indésirable",
        "indésirables",
        "correo no deseado",
        "lixo eletrônico",
        "posta indesiderata",
        "ongewenste e-mail",
        "wiadomości-śmieci",
        "skräppost",
        "uønsket e-post",
        "roskaposti",
        "спам",
        "垃圾邮件",
        "迷惑メール",
    ),
    ROLE_ARCHIVE: ("archive", "archives", "archiv", "archivo", "archivio", "archief", "архив"),
    ROLE_NOT_MAIL: (
        "outbox",
        "notes",
        "calendar",
        "contacts",
        "tasks",
        "journal",
        "conversation history",
        "sync issues",
        "postausgang",
        "boîte d'envoi",
        "bandeja de salida",
        "posta in uscita",
        "postvak uit",
    ),
}
_NAME_ROLES = {name: role for role, names in _ROLE_NAMES.items() for name in names}
_ROLE_PARENTS = frozenset({"", "inbox", "[gmail]", "[google mail]"})


def _split_name(folder: Folder) -> tuple[str, str]:
    """``(parent, leaf)`` of a folder name, lower-cased."""
    name = folder.name
    if folder.delimiter and folder.delimiter in name:
        parent, _sep, leaf = name.rpartition(folder.delimiter)
    else:
        parent, leaf = "", name
    return parent.casefold(), leaf.strip().casefold()


def folder_role(folder: Folder) -> str:
    """The role of a folder: SPECIAL-USE first, then INBOX, then the usual names."""
    if folder.special_use:
        role = _SPECIAL_USE_ROLES.get(folder.special_use.lower())
        if role:
            return role
    if folder.name.upper() == "INBOX":
        return ROLE_INBOX
    parent, leaf = _split_name(folder)
    if parent in _ROLE_PARENTS:
        return _NAME_ROLES.get(leaf, ROLE_OTHER)
    return ROLE_OTHER


@dataclass(frozen=True, slots=True)
class FolderChoice:
    """A folder as the settings show it.

    ``choosable``: the user may pick it (never Trash, Junk, Drafts, nor a folder that cannot be
    selected). ``in_all_scope``: synced when the scope is "all folders". ``reason`` says why a
    folder is not choosable or not in the "all" scope: ``drafts``, ``trash``, ``junk``,
    ``not_selectable``, ``covered_by_all_mail``, ``virtual_view`` or ``not_mail``.
    """

    name: str
    role: str
    choosable: bool
    in_all_scope: bool
    reason: str | None = None


def describe_folders(folders: Iterable[Folder]) -> list[FolderChoice]:
    """Every folder with its role and whether it is synced, INBOX first then the server's order."""
    folders = list(folders)
    has_all_mail = any(folder_role(folder) == ROLE_ALL and folder.selectable for folder in folders)
    choices = []
    for folder in folders:
        role = folder_role(folder)
        reason = None
        choosable = in_all = True
        if not folder.selectable:
            choosable = in_all = False
            reason = "not_selectable"
        elif role in NEVER_SYNCED_ROLES:
            choosable = in_all = False
            reason = role
        elif role in (ROLE_FLAGGED, ROLE_IMPORTANT):
            in_all, reason = False, "virtual_view"
        elif role == ROLE_NOT_MAIL:
            in_all, reason = False, "not_mail"
        elif has_all_mail and role != ROLE_ALL:
            in_all, reason = False, "covered_by_all_mail"
        choices.append(FolderChoice(folder.name, role, choosable, in_all, reason))
    choices.sort(key=lambda choice: choice.role != ROLE_INBOX)
    return choices


@dataclass(frozen=True, slots=True)
class FolderSelection:
    """The folders to sync (``names``), and the chosen ones that are ``missing`` from the server or
    ``refused`` (Trash, Junk, Drafts, not selectable)."""

    names: tuple[str, ...]
    missing: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()


def folders_to_sync(
    folders: Iterable[Folder], scope: str = "all", chosen: Iterable[str] = ()
) -> FolderSelection:
    """The folders a pass syncs: scope ``"all"``, or ``"chosen"`` with the chosen names."""
    if scope not in ("all", "chosen"):
        raise ValueError(f"scope must be 'all' or 'chosen', not {scope!r}")
    choices = describe_folders(folders)
    if scope == "all":
        return FolderSelection(tuple(c.name for c in choices if c.in_all_scope))
    by_name = {choice.name: choice for choice in choices}
    wanted = list(dict.fromkeys(chosen))
    return FolderSelection(
        names=tuple(c.name for c in choices if c.name in wanted and c.choosable),
        missing=tuple(name for name in wanted if name not in by_name),
        refused=tuple(name for name in wanted if name in by_name and not by_name[name].choosable),
    )


def find_folder(folders: Iterable[Folder], role: str) -> str | None:
    """The name of the folder with this role (``"archive"``, ``"trash"``, ``"sent"``...), if any.

    SPECIAL-USE wins over names; among equals, the server's first. For two-way archiving.
    """
    folders = [folder for folder in folders if folder.selectable]
    for folder in folders:
        if folder.special_use and _SPECIAL_USE_ROLES.get(folder.special_use.lower()) == role:
            return folder.name
    return next((folder.name for folder in folders if folder_role(folder) == role), None)
