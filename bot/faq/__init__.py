"""FAQ search: Chinese free-text questions answered from the knowledge and the guides.

from bot.faq import FaqIndex
index = FaqIndex.build(get_knowledge(), guides_dir=None)
result = index.search("朝阳在哪办", district=None, k=3)   # SearchResult
"""

from .index import FaqIndex
from .search import Answer, SearchResult

__all__ = ["Answer", "FaqIndex", "SearchResult"]
