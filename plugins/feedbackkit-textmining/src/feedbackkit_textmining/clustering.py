"""Scalable clustering with the number of clusters following the data.

1. Latent semantic analysis: a truncated SVD of the TF-IDF rows to ``dims``
   dimensions, so texts using different words for one thing come close.
2. Over-clustering: mini-batch k-means into about ``micro * sqrt(n)`` small clusters
   (linear in the number of texts).
3. Merging: average-linkage agglomerative clustering of those cluster centres, cut at
   a cosine distance of ``threshold``; the number of clusters is what remains.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

__all__ = ["cluster_rows"]

Array = Any
"""A numpy array (numpy's stubs are not worth the noise here)."""


def cluster_rows(
    rows: Any, *, dims: int, micro: float, threshold: float, seed: int
) -> tuple[Array, Array]:
    """A cluster label per row (``0..k-1``) and the rows in the reduced space."""
    n, width = rows.shape
    components = min(dims, width - 1, n - 1)
    if components >= 2:
        svd = TruncatedSVD(components, algorithm="randomized", n_iter=3, random_state=seed)
        reduced = normalize(svd.fit_transform(rows)).astype(np.float32)
    else:
        reduced = normalize(rows.toarray()).astype(np.float32)
    k = min(n, max(2, round(micro * math.sqrt(n))))
    if n < 2:
        return np.zeros(n, dtype=np.int64), reduced
    kmeans = MiniBatchKMeans(
        k,
        batch_size=4096,
        n_init=3,
        max_no_improvement=10,
        init_size=min(n, 3 * k + 3000),
        random_state=seed,
    )
    micro_labels = kmeans.fit_predict(reduced)
    used = np.unique(micro_labels)
    if len(used) < 2:
        return np.zeros(n, dtype=np.int64), reduced
    centres = normalize(kmeans.cluster_centers_[used])
    merged = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average"
    ).fit_predict(centres)
    lookup = np.zeros(k, dtype=np.int64)
    lookup[used] = merged
    return lookup[micro_labels], reduced
