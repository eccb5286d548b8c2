"""The statistical models of eduqa, free of the season's settings and tables.

Nothing here imports :mod:`eduqa.config.params`, :mod:`eduqa.indicators` or any other season module
(a test over the import graph keeps it so): each function takes frames and plain arguments.

- :mod:`~eduqa.models.cluster`: CR2 cluster-robust errors with Bell–McCaffrey degrees of
  freedom, from arrays; randomization inference over clusters;
- :mod:`~eduqa.models.linear`: OLS with HC1 / CR2 errors, and gaps from per-cluster sums;
- :mod:`~eduqa.models.multilevel`: REML random intercept with Kenward–Roger inference and
  empirical-Bayes effects;
- :mod:`~eduqa.models.decompose`: Gelbach, Oaxaca–Blinder and Shapley R² decompositions;
- :mod:`~eduqa.models.value_added`: contextual value added;
- :mod:`~eduqa.models.dif`: Mantel–Haenszel differential item functioning, ETS classes;
- :mod:`~eduqa.models.irt`: Rasch and 2PL by marginal maximum likelihood.
"""

from .cluster import MIN_CLUSTERS
from .decompose import gelbach, oaxaca, shapley_r2
from .dif import dif_mantel_haenszel, mantel_haenszel
from .irt import IRTResult, fit_irt
from .linear import OLSResult, cr2_result, ols, robust_fit
from .multilevel import RandomInterceptResult, random_intercept
from .value_added import link_counts, value_added, with_school_mean

__all__ = ["MIN_CLUSTERS", "IRTResult", "OLSResult", "RandomInterceptResult", "cr2_result",
           "dif_mantel_haenszel", "fit_irt", "gelbach", "link_counts", "mantel_haenszel",
           "oaxaca", "ols", "random_intercept", "robust_fit", "shapley_r2", "value_added",
           "with_school_mean"]
