"""The window: its layout, menus, dialogs, theme and widgets. It shows the studio and sends it what the artist does."""
