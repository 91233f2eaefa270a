"""The kernel-space / user-space story: its steps (`steps`) and the picture's data from the
opened images (`picture`)."""
