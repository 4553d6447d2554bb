"""Collection steps: rebuild the data-cache folder of labelled text from recorded public sources.

Run ``python training/collect/rebuild.py`` (see its docstring). One module per output:

* :mod:`.en_political`: ``en/political.jsonl``
* :mod:`.lang_political`: ``lang/fr_political.jsonl``, ``lang/de_political.jsonl``, ``lang/es_political.jsonl``
* :mod:`.grievance`: ``work/grievance.jsonl``, ``work/g6_labelled.jsonl``
* :mod:`.disrespect`: ``offensive/disrespect.jsonl``
* :mod:`.personal`: ``personal/pool_*.jsonl`` and ``personal/labels_*.jsonl``

:mod:`.mirror` reads the repositories' files at their recorded commits; :mod:`.export_labels`
turns hand labels kept with their text (in the data-cache) into the text-free files under
``training/labels/``. training/SOURCES.md records every source, its licence and its role.
"""
