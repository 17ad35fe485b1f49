"""Every admin page renders for the admin, as a page and as a fragment."""
import pytest

from portal.roles import Role

ADMIN_PAGES = ["/", "/admin/windows", "/admin/windows/new", "/admin/windows?all=1", "/admin/departments",
               "/admin/departments/new", "/admin/people", "/admin/people/new", "/admin/people?q=用户",
               "/admin/halls", "/admin/halls/new", "/admin/rulebook", "/admin/rulebook/history",
               "/admin/rulebook/patrol.per_day", "/admin/calendar", "/admin/calendar?year=2027",
               "/password"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_page_renders_whole_page(client, login_as, path):
    login_as(Role.ADMIN)
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html and "政务大厅值守门户" in html
