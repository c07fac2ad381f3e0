"""The published year page stays fast without the page cache (issue 15): at most 15 queries for
the public's ZVH 2017 page, Venlo's seed page, when it is rendered rather than served."""

ZVH_2017 = "/venlo/samenwerkingen/zvh/2017/"


def test_the_public_year_page_uncached_takes_at_most_15_queries(
    demo, client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    with django_assert_max_num_queries(15):
        response = client.get(ZVH_2017)
    page = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 200
    assert "Versie 1 van 2017" in page and "Kernbeeld 2017" in page
