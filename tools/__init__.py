"""
Scripts that build the project's documentation: C{python -m tools.drawgraphs}
draws the pictures in doc/images, C{python -m tools.apidocs} builds the API
reference.
"""
