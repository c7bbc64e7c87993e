"""
The component model: boxes, components, the scheduler and runtime of each
reactor, control messages, orderly shutdown, and the transport base.
"""
