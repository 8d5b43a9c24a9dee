"""``headlines review``: correct the model on your own feeds in a browser, a key a headline.

Covers, one module each: the order headlines are asked in (queue.py), the answers file that
survives a killed server (answers.py), retraining and what it changed (retraining.py), the
state of one review (session.py) and the web page over it (app.py, templates/, static/).
Does not cover: starting a server, which cli.py does with uvicorn.

The web part needs the review extra (``pip install 'headlines[review]'``); the other modules
use only what headlines itself needs.
"""
