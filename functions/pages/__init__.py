"""The pages room: the citizen page and the enterprise page (一机两页); so far the calendar of
recurring deadlines."""
