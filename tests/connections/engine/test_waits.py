"""Waiting on the page: a click that opens another document is seen as a navigation, however quiet the
new document is (its change counter starts afresh and proves nothing)."""

from __future__ import annotations

from connections.engine import waits


def test_a_click_that_navigates_to_a_quiet_page_is_a_navigation_not_a_timeout(loop, browser_host, sandbox):
    async def scenario() -> str:
        context = await browser_host.browser.new_context()
        await context.add_init_script(waits.WATCH)
        try:
            page = await context.new_page()
            await page.goto(sandbox.url("classic.localhost", "/login"))
            since, document = await waits.mark(page.main_frame)
            await page.locator("a[href='/privacy']").first.click()
            return await waits.settle(page.main_frame, page, since, 2.0, document=document)
        finally:
            await context.close()

    assert loop.run(scenario()) == "navigated"
