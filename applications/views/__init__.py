"""County-side pages: the application, its form, self-assessment, indicators, evidence, submission.

Every view loads the application through ``application_for`` (outside the user's scope: 404);
a user who may look but not change gets 403. State changes go through the workflow service.
The modules, by area: ``applications`` (list, start, overview, form, section), ``answers``
(the saves as the county types), ``evidence``, ``submission`` (completeness, submit,
withdraw, PDF) and ``cycles`` (cycles and the county deadline).
"""
