//! Structured data on a page: JSON-LD, microdata, microformats (h-card and classic hCard), `.vcf`
//! links and meta tags, turned into [`Finding`](super::finding::Finding)s grouped by object.
