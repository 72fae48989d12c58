"""Lead scoring: features as of a time, the trained model (or cold-start fit score), scores and reasons.

Import the submodules you need (``tools.leads.scoring``, ``tools.leads.model``...); this
package itself stays light so that skills and rendering can import ``tools.leads.results``.
"""
