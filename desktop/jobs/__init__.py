"""The render thread's side: the Qt-free scheduler, its QThread adapter, and the work each job runs there."""
