"""
The component model: boxes, components, the scheduler and control messages.
"""
