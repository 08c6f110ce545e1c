"""Questionnaires as versioned data: the model, loading, differences between versions, harmonising, codebooks."""

from .codebook import CODEBOOK_COLUMNS, CODEBOOK_FORMATS, codebook, codebook_table
from .diff import COMPARABILITY, COMPARABILITY_COLUMNS, DIFF_COLUMNS, diff, indicator_comparability
from .harmonise import NOT_COMPARABLE_ACTIONS, harmonise
from ._indicators import INDICATOR_KINDS
from .load import available_questionnaires, load_questionnaire
from .model import (MISSING_KINDS, MODES, POLARITIES, QUESTION_TYPES, SOURCE_BODIES, UNITS, VERDICTS, Code, Indicator,
                    Module, Previous, Question, Questionnaire, SampleField, Source)
from .routing import ROUTING_OPERATORS, Condition

__all__ = [
    "Questionnaire", "Module", "Question", "Code", "Indicator", "SampleField", "Source", "Previous", "Condition",
    "load_questionnaire", "available_questionnaires", "diff", "indicator_comparability", "harmonise", "codebook",
    "codebook_table",
    "QUESTION_TYPES", "MISSING_KINDS", "SOURCE_BODIES", "MODES", "VERDICTS", "INDICATOR_KINDS",
    "ROUTING_OPERATORS", "DIFF_COLUMNS", "CODEBOOK_FORMATS", "CODEBOOK_COLUMNS", "NOT_COMPARABLE_ACTIONS",
    "POLARITIES", "UNITS", "COMPARABILITY", "COMPARABILITY_COLUMNS",
]
